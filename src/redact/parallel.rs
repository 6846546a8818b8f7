//! Running independent per-file work on several threads, results in input order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

/// Threads that wait on the file system (each copy's flush to disk) for the computing ones.
/// Enough that many copies wait for one shared flush ([`super::durable`]): over the corpus,
/// redact --no-verify took 1.6 s with 8 writers and 1.2-1.3 s with 32 or 64.
pub(crate) const WRITERS: usize = 32;

/// Items computed but not yet taken by a writer, at most: bounds the memory held when the
/// disk is slower than the scan.
const QUEUE: usize = 64;

/// Per-item work in two stages: `compute` (CPU-bound: `threads` threads, 0 meaning one per
/// core) and then `wait` (bound by the disk: [`WRITERS`] threads, so that the cores never
/// sit idle in an fsync and the per-thread state of the computing threads, such as the
/// scanner's caches, is not multiplied by the threads it takes to hide the disk's latency).
/// Each result is handed to `consume` in the order of `items` as soon as every earlier one
/// has been, so output is the same as a sequential run's and only results waiting for an
/// earlier one are held.
///
/// # Errors
/// The first error, in the order of `items`, of either stage or of `consume` (nothing after
/// it is consumed, and no new item is started), or a thread that stopped unexpectedly.
pub(crate) fn for_each_ordered<'a, T, M, R, F, W, C>(
    items: &'a [T],
    threads: usize,
    compute: F,
    wait: W,
    mut consume: C,
) -> std::io::Result<()>
where
    T: Sync,
    M: Send,
    R: Send,
    F: Fn(&'a T) -> std::io::Result<M> + Sync,
    W: Fn(M) -> std::io::Result<R> + Sync,
    C: FnMut(R) -> std::io::Result<()>,
{
    let cores = match threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let stopped = || std::io::Error::other("a worker thread stopped unexpectedly");
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (mid_tx, mid_rx) = mpsc::sync_channel::<(usize, std::io::Result<M>)>(QUEUE);
        // Shared by the writers and dropped with the last of them, so that a computing
        // thread blocked on a full queue is released when they have all stopped.
        let mid_rx = Arc::new(Mutex::new(mid_rx));
        let (out_tx, out_rx) = mpsc::channel::<(usize, std::io::Result<R>)>();
        let mut handles = Vec::new();
        for _ in 0..cores.min(items.len()).max(1) {
            let tx = mid_tx.clone();
            let (next, stop, compute) = (&next, &stop, &compute);
            handles.push(scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        return;
                    };
                    if tx.send((i, compute(item))).is_err() {
                        return;
                    }
                }
            }));
        }
        drop(mid_tx);
        for _ in 0..WRITERS.min(items.len()).max(1) {
            let (rx, tx, wait) = (Arc::clone(&mid_rx), out_tx.clone(), &wait);
            handles.push(scope.spawn(move || {
                loop {
                    let got = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((i, m)) = got else {
                        return;
                    };
                    if tx.send((i, m.and_then(wait))).is_err() {
                        return;
                    }
                }
            }));
        }
        drop((mid_rx, out_tx));
        let mut outcome = Ok(());
        let mut waiting: BTreeMap<usize, std::io::Result<R>> = BTreeMap::new();
        let mut due = 0;
        'receive: for (i, r) in &out_rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&due) {
                due += 1;
                if let Err(e) = r.and_then(&mut consume) {
                    outcome = Err(e);
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
            }
        }
        // With the receiver gone, a writer stops at its next result, and a computing thread
        // at its next item or when the writers are all gone.
        drop(out_rx);
        for h in handles {
            h.join().map_err(|_| stopped())?;
        }
        if outcome.is_ok() && due < items.len() {
            outcome = Err(stopped());
        }
        outcome
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn collect(
        items: &[u32],
        threads: usize,
        fail_at: Option<u32>,
    ) -> (Vec<u32>, std::io::Result<()>) {
        let mut seen = Vec::new();
        let result = for_each_ordered(
            items,
            threads,
            |n| {
                if Some(*n) == fail_at {
                    Err(std::io::Error::other(n.to_string()))
                } else {
                    Ok(n * 2)
                }
            },
            |n| Ok(n + 1),
            |r| {
                seen.push(r);
                Ok(())
            },
        );
        (seen, result)
    }

    #[test]
    fn results_keep_input_order_and_errors_surface() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [0, 1, 3] {
            let (done, result) = collect(&items, threads, None);
            result.unwrap();
            assert_eq!(done, (0..1000).map(|n| n * 2 + 1).collect::<Vec<_>>());
            let (seen, result) = collect(&items, threads, Some(57));
            assert_eq!(result.unwrap_err().to_string(), "57");
            assert_eq!(seen, (0..57).map(|n| n * 2 + 1).collect::<Vec<_>>());
            let (none, result) = collect(&[], threads, None);
            result.unwrap();
            assert!(none.is_empty());
        }
    }

    #[test]
    fn an_error_stops_the_run() {
        let items: Vec<u32> = (0..100_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        let result = for_each_ordered(
            &items,
            0,
            |n| {
                started.fetch_add(1, Ordering::Relaxed);
                Ok(*n)
            },
            |n| {
                if n == 10 {
                    return Err(std::io::Error::other("full"));
                }
                Ok(n)
            },
            |_| {
                seen += 1;
                Ok(())
            },
        );
        assert_eq!(result.unwrap_err().to_string(), "full");
        assert_eq!(seen, 10);
        assert!(
            started.load(Ordering::Relaxed) < items.len(),
            "the run went on"
        );
    }
}
