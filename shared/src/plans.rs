//! Plan progress (reference §3.7): Backlog, InProgress and Testing move freely; Done converts
//! the plan into a service, repair or upgrade record and is final.

use crate::dto::plans::PlanProgress;

/// What a progress change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStep {
    /// Move to another open column (or stay): only the progress and `updatedAt` change.
    Move(PlanProgress),
    /// Mark done: save, convert to a record, push linked reminders forward.
    Complete,
}

/// A done plan can only be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyDone;

pub fn step(current: PlanProgress, target: PlanProgress) -> Result<ProgressStep, AlreadyDone> {
    if current == PlanProgress::Done {
        return Err(AlreadyDone);
    }
    Ok(match target {
        PlanProgress::Done => ProgressStep::Complete,
        open => ProgressStep::Move(open),
    })
}

/// Whether a plan may still be replaced (`PUT`).
pub fn editable(current: PlanProgress) -> bool {
    current != PlanProgress::Done
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanProgress::{Backlog, Done, InProgress, Testing};

    #[test]
    fn transitions() {
        for from in [Backlog, InProgress, Testing] {
            for to in [Backlog, InProgress, Testing] {
                assert_eq!(step(from, to), Ok(ProgressStep::Move(to)));
            }
            assert_eq!(step(from, Done), Ok(ProgressStep::Complete));
            assert!(editable(from));
        }
        for to in [Backlog, InProgress, Testing, Done] {
            assert_eq!(step(Done, to), Err(AlreadyDone));
        }
        assert!(!editable(Done));
    }
}
