// Failures of the pull-request report (git refs, pin folders, plan files) as values with a code and a
// message a person can act on.

export type PrReportErrorCode =
  | 'NotAGitRepository'
  | 'UnknownRef'
  | 'InvalidRef'
  | 'GitReadFailed'
  | 'PinPathOutsideRepository'
  | 'NoPinPath'
  | 'PinPathNotASource'
  | 'PinsNotFound'
  | 'InvalidPins'
  | 'InvalidPlanFile';

export class PrReportError extends Error {
  override readonly name = 'PrReportError';

  constructor(
    readonly code: PrReportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
