/**
 * The arithmetic of the throughput benchmark (SPChain §6.1, Fig. 13; spec/conventions.md [CONV-7]): the
 * verifications a pinned transaction needs, the crypto limit they impose on a machine, and the steady-state
 * rate of a run. Pure functions of measured numbers, so that properties/throughput.test.ts can check them.
 * @module
 */

/** [BFT-2] f for a group of `size` members. */
export const faultsOf = (size: number): number => Math.floor((size - 1) / 3);

/**
 * Ed25519 verifications one transaction needs in a group of `size`, with `perBatch` transactions a batch:
 * every member verifies the patient's signature once; per batch the size − 1 non-leaders verify the
 * PROPOSE, and each member verifies at least 2f PREPAREs, 2f COMMITs and 2f ledger pin votes of the others
 * plus its own pin vote inside the certificate, i.e. size · (6f + 1).
 */
export const verificationsPerTx = (size: number, perBatch: number): number => {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`group size ${size}`);
  if (!(perBatch > 0)) throw new RangeError(`transactions per batch ${perBatch}`);
  return size + (size - 1 + size * (6 * faultsOf(size) + 1)) / perBatch;
};

/** An operation a transaction needs `perTx` times, which one core does `perSecondPerCore` times a second. */
export interface CryptoCost {
  readonly perTx: number;
  readonly perSecondPerCore: number;
}

/**
 * Transactions per second if `cores` cores did nothing but the listed operations:
 * cores / Σ (perTx / perSecondPerCore). With one cost this is rate × cores ÷ operations per transaction.
 */
export const cryptoLimitTps = (cores: number, costs: readonly CryptoCost[]): number => {
  if (!(cores > 0) || costs.length === 0) throw new RangeError(`${cores} cores, ${costs.length} costs`);
  let secondsPerTx = 0;
  for (const cost of costs) {
    if (!(cost.perTx >= 0) || !(cost.perSecondPerCore > 0)) throw new RangeError(`cost ${JSON.stringify(cost)}`);
    secondsPerTx += cost.perTx / cost.perSecondPerCore;
  }
  return cores / secondsPerTx;
};

/** A batch as the group pinned it: its transactions, and when the last member pinned it (ms). */
export interface PinnedBatch {
  readonly txs: number;
  readonly at_ms: number;
}

/**
 * Steady-state transactions per second of a run whose batches (in instance order) were pinned as given:
 * the transactions of batches first+1 .. last over the time from batch `first`'s pin to batch `last`'s.
 * The window starts at batch 1 (batch 0 includes the start-up) and ends `inFlight` batches before the
 * end: up to that many batches of requests are checked ahead of each pin, and the last ones, with nothing
 * behind them, would pin early. Undefined when the run is too short to leave a window.
 */
export const steadyTps = (batches: readonly PinnedBatch[], inFlight: number): number | undefined => {
  const first = 1;
  const last = batches.length - 1 - inFlight;
  if (last <= first) return undefined;
  const start = batches[first] as PinnedBatch;
  const end = batches[last] as PinnedBatch;
  if (!(end.at_ms > start.at_ms)) return undefined;
  let txs = 0;
  for (let i = first + 1; i <= last; i++) txs += (batches[i] as PinnedBatch).txs;
  return (1000 * txs) / (end.at_ms - start.at_ms);
};
