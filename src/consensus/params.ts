/**
 * Bounds, message type numbers and tunable parameters of the pinning protocol (spec/consensus.md,
 * [BFT-4] message header, [BFT-10] timers and backoff, [BFT-15] bounds). Every buffer of a member's
 * state and every count of a message has a bound named here.
 * @module
 */
import { Data, Result } from "effect";

/** [BFT-15] The largest consensus group (member indices are u16 on the wire). */
export const MAX_MEMBERS = 256;
/** [BFT-15] The largest in-flight window a member may be configured with (VIEW-CHANGE entry bound). */
export const MAX_WINDOW = 16;
/** [BFT-15] The largest value (a keyblock or an Algorithm 2 batch) a PROPOSE may carry. */
export const MAX_VALUE_BYTES = 1 << 22;
/** [BFT-15] The largest request (a keyblock or a transaction) a REQUEST may carry. */
export const MAX_REQUEST_BYTES = 1 << 16;
/** [BFT-15] The largest certificate: header, group, view, instance, value hash, count, MAX_MEMBERS votes. */
export const MAX_CERTIFICATE_BYTES = 2 + 32 + 8 + 8 + 32 + 2 + MAX_MEMBERS * (2 + 64);
/**
 * [BFT-15] The largest VIEW-CHANGE embedded in a NEW-VIEW: its fixed fields and signature, the low
 * certificate, and MAX_WINDOW prepared certificates with their length-prefixed values.
 */
export const MAX_VIEW_CHANGE_BYTES =
  2 + 32 + 2 + 8 + 8 + 2 + 64 + MAX_CERTIFICATE_BYTES + MAX_WINDOW * (MAX_CERTIFICATE_BYTES + 4 + MAX_VALUE_BYTES);

/** [BFT-4] Type bytes of the protocol's objects (after the version byte, ENC-10). */
export const MSG = {
  Request: 0x40,
  Propose: 0x41,
  Prepare: 0x42,
  Commit: 0x43,
  ViewChange: 0x44,
  NewView: 0x45,
  Decision: 0x46,
  Sync: 0x47,
  PreparedCertificate: 0x48,
  PinCertificate: 0x49,
} as const;

/** [BFT-10] [BFT-15] What an embedding may tune; `DEFAULT_PARAMS` holds the defaults. */
export interface ConsensusParams {
  /** W: instances a leader may have proposed and not yet delivered; members vote only inside it. */
  readonly window: number;
  /** T0: the request, progress and view-change timeout of a view in which the member delivered. */
  readonly timeout_base_ms: number;
  /** The timeout doubles per view without a delivery, at most `2^backoff_cap` times T0. */
  readonly backoff_cap: number;
  /** Requests a member holds undelivered at once; more are refused until some are pinned. */
  readonly max_pending_requests: number;
  /** Decisions a member keeps (value and certificate) to answer laggards; at least `window`. */
  readonly history: number;
}

export const DEFAULT_PARAMS: ConsensusParams = {
  window: 4,
  timeout_base_ms: 2_000,
  backoff_cap: 5,
  max_pending_requests: 256,
  history: 64,
};

/** A parameter set outside its documented range (a configuration error of the embedding). */
export class ConsensusParamsInvalid extends Data.TaggedError("ConsensusParamsInvalid")<{
  readonly field: keyof ConsensusParams;
  readonly detail: string;
}> {
  override get message(): string {
    return `consensus parameter ${this.field}: ${this.detail}`;
  }
}

const RANGES: Record<keyof ConsensusParams, readonly [number, number]> = {
  window: [1, MAX_WINDOW],
  timeout_base_ms: [1, 3_600_000],
  backoff_cap: [0, 20],
  max_pending_requests: [1, 65_536],
  history: [1, 65_536],
};

/** [BFT-15] Checks every field against its range, and `history >= window`. */
export const checkParams = (params: ConsensusParams): Result.Result<ConsensusParams, ConsensusParamsInvalid> => {
  for (const field of Object.keys(RANGES) as (keyof ConsensusParams)[]) {
    const [min, max] = RANGES[field];
    const value = params[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      return Result.fail(new ConsensusParamsInvalid({ field, detail: `${value} not an integer in [${min}, ${max}]` }));
    }
  }
  if (params.history < params.window) {
    return Result.fail(new ConsensusParamsInvalid({ field: "history", detail: "must be at least the window" }));
  }
  return Result.succeed(params);
};

/**
 * [BFT-10] The timeout of `view` for a member whose last delivery happened in `progress_view`:
 * T0 * 2^min(view - progress_view, backoff_cap).
 */
export const timeoutMs = (params: ConsensusParams, view: number, progress_view: number): number =>
  params.timeout_base_ms * 2 ** Math.min(Math.max(0, view - progress_view), params.backoff_cap);
