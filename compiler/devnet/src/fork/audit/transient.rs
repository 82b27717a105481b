//! Retries of the audit's requests: a node that could not be reached, or answered with an
//! HTTP server error or 429, is asked again (3 tries in all); other errors are final.

use std::time::Duration;

use crate::fork::error::ForkError;

/// Runs `f` again (up to 3 tries, with a pause) when the node could not be reached or answered
/// with an HTTP server error or 429; other errors are returned at once.
pub(super) fn retry<T>(mut f: impl FnMut() -> Result<T, ForkError>) -> Result<T, ForkError> {
    let mut pause = Duration::from_millis(200);
    let mut tries = 0;
    loop {
        match f() {
            Err(e) if tries < 2 && transient(&e) => {
                tries += 1;
                std::thread::sleep(pause);
                pause *= 4;
            }
            other => return other,
        }
    }
}

fn transient(error: &ForkError) -> bool {
    match error {
        ForkError::Unreachable { .. } => true,
        ForkError::Http { status, .. } => *status == 429 || *status >= 500,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_errors_are_retried() {
        let mut calls = 0;
        let r: Result<(), ForkError> = retry(|| {
            calls += 1;
            Err(ForkError::Http {
                node: "n".into(),
                status: 503,
            })
        });
        assert!(r.is_err());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let r: Result<(), ForkError> = retry(|| {
            calls += 1;
            Err(ForkError::Budget { max: 1 })
        });
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
