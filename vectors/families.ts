/**
 * The registry of vector families. A file under vectors/ that no family owns fails the runner.
 * @module
 */
import type { VectorFamily } from "./family.js";
import { chameleonFamily } from "./gen/chameleon.js";
import { chameleonAm04Family } from "./gen/chameleon-am04.js";
import { codecFamily } from "./gen/codec.js";
import { consensusFamily } from "./gen/consensus.js";
import { consensusRegressionFamily } from "./gen/consensus-regressions.js";
import { ledgerTransitionFamily } from "./gen/ledger.js";
import { ledgerCodecFamily } from "./gen/ledger-codec.js";
import { merkleFamily } from "./gen/merkle.js";
import { regressionFamily } from "./gen/regressions.js";
import { reputationFamily } from "./gen/reputation.js";
import { sharingFamily } from "./gen/sharing.js";
import { signatureFamily } from "./gen/signature.js";
import { umbralFamily } from "./gen/umbral.js";

export const FAMILIES: readonly VectorFamily[] = [
  codecFamily,
  chameleonFamily,
  chameleonAm04Family,
  merkleFamily,
  signatureFamily,
  umbralFamily,
  sharingFamily,
  reputationFamily,
  ledgerCodecFamily,
  ledgerTransitionFamily,
  consensusFamily,
  regressionFamily,
  consensusRegressionFamily,
];
