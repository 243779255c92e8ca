// The bundled action under Node 20 (the runtime this repository's tests use).
import { NODE20 } from '../support/action-runner.ts';
import { defineE2eSuite } from './scenarios.ts';

defineE2eSuite(NODE20);
