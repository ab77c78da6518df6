export { doctor, type DoctorOptions, type DoctorEffects } from "./doctor.js";
export { doctorFailure } from "./report.js";
export { describeDoctor } from "./text.js";
export { parseTarget, SCRATCH_NAME, type DoctorTarget } from "./target.js";
export type { CredentialsOrigin } from "./credentials.js";
export {
  PROBE_IDS,
  type DoctorRecord,
  type DoctorFailure,
  type Probe,
  type ProbeId,
  type ProbeStatus,
  type Facts,
  type CredentialsInfo,
} from "./records.js";
