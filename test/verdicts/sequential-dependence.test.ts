import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDependence, renderDependence } from '../../evaluation/verdicts/sequential-dependence.ts';

describe("the sequential rule's independence assumption (evaluation/verdicts/sequential-dependence.ts)", () => {
  const options = { threshold: 0.1, rhos: [0, 0.7], sigma: 0.15, sequences: 1500, seed: 5 };
  const [independent, correlated] = evaluateDependence(options);

  it('keeps each wrong decision near its bound (alpha/2) for independent pairs', () => {
    // 1500 sequences: a true rate of 2.5% shows above 4% far less than 1% of the time.
    assert.ok(independent!.atThreshold.confirmed / 1500 <= 0.04, JSON.stringify(independent));
    assert.ok(independent!.atThreshold.cleared / 1500 <= 0.04, JSON.stringify(independent));
  });

  it('breaks it when consecutive pairs are correlated (lag-1 0.7: several times the bound)', () => {
    assert.ok(correlated!.atThreshold.confirmed / 1500 >= 0.15, JSON.stringify(correlated));
    assert.ok(correlated!.atThreshold.confirmed > 3 * independent!.atThreshold.confirmed);
    assert.match(renderDependence([independent!, correlated!], options), /\| 0\.7 \| \d+\.\d% \(\d+\/1500\) \|/);
  });
});
