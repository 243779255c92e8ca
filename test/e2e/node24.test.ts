// The bundled action under Node 24, the runtime action.yml asks the runner for.
import { NODE24 } from '../support/action-runner.ts';
import { defineE2eSuite } from './scenarios.ts';

defineE2eSuite(NODE24);
