//! Independent per-item work on several threads, each result handed on in input order.
//!
//! Items are handed out one at a time from a shared counter, so the threads stay busy to the
//! end of a run (no batch waits for its slowest item). The calling thread computes items too
//! and hands on whatever results are ready between them, so no thread is woken per item and
//! the consumer needs no core of its own. A thread takes a new item only while it is fewer
//! than a window ahead of the oldest result not yet handed on, so memory stays flat however
//! many items a run has and however slow the consumer is.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// What the threads share: results not yet handed on, and how far the consumer has got.
struct Shared<R> {
    state: Mutex<State<R>>,
    /// Signalled when the consumer moves on (or the run stops) and a helper is waiting.
    space: Condvar,
    /// Signalled when a result arrives (or the run stops) and the calling thread is waiting.
    arrived: Condvar,
}

struct State<R> {
    /// Results by index modulo the window: an item is computed only inside the window, so
    /// two results never share a slot.
    ready: Vec<Option<R>>,
    /// Results handed on so far.
    consumed: usize,
    /// Helpers waiting for the consumer to move on.
    helpers_waiting: usize,
    /// Whether the calling thread waits for a result.
    caller_waiting: bool,
    /// Set by an error of the consumer or a panic: nobody starts a new item.
    stop: bool,
}

impl<R> Shared<R> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.space.notify_all();
        self.arrived.notify_all();
    }

    /// Keep result `r` of item `i`.
    fn put(&self, i: usize, r: R) {
        let mut state = self.lock();
        let window = state.ready.len();
        if let Some(slot) = state.ready.get_mut(i % window) {
            *slot = Some(r);
        }
        if state.caller_waiting {
            self.arrived.notify_one();
        }
    }
}

/// Stops the run when dropped by a panicking thread, so that no other thread waits forever
/// for the item it was computing.
struct StopOnPanic<'s, R>(&'s Shared<R>);

impl<R> Drop for StopOnPanic<'_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Compute `compute(item)` for every item on `threads` threads (the calling one and
/// `threads - 1` more) and pass each result to `consume`, on the calling thread, in the order
/// of `items`. At most `window` results (at least one) wait for their turn, besides those
/// the calling thread has taken to hand on, which are at most as many.
///
/// # Errors
/// The first error of `consume` (nothing after it is consumed and no new item is started),
/// or a helper thread that stopped unexpectedly.
pub(crate) fn for_each<'a, T, R, F, C>(
    items: &'a [T],
    threads: usize,
    window: usize,
    compute: F,
    mut consume: C,
) -> std::io::Result<()>
where
    T: Sync,
    R: Send,
    F: Fn(&'a T) -> R + Sync,
    C: FnMut(R) -> std::io::Result<()>,
{
    let window = window.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let shared = Shared {
        state: Mutex::new(State {
            ready: (0..window).map(|_| None).collect(),
            consumed: 0,
            helpers_waiting: 0,
            caller_waiting: false,
            stop: false,
        }),
        space: Condvar::new(),
        arrived: Condvar::new(),
    };
    std::thread::scope(|scope| -> std::io::Result<()> {
        let mut helpers = Vec::new();
        for _ in 1..threads.min(items.len()) {
            let (next, shared, compute) = (&next, &shared, &compute);
            helpers.push(scope.spawn(move || {
                let _guard = StopOnPanic(shared);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        return;
                    };
                    let mut state = shared.lock();
                    while !state.stop && i >= state.consumed + window {
                        state.helpers_waiting += 1;
                        state = shared
                            .space
                            .wait(state)
                            .unwrap_or_else(PoisonError::into_inner);
                        state.helpers_waiting -= 1;
                    }
                    if state.stop {
                        return;
                    }
                    drop(state);
                    shared.put(i, compute(item));
                }
            }));
        }
        let _guard = StopOnPanic(&shared);
        let outcome = caller_part(items, window, &next, &shared, &compute, &mut consume);
        if outcome.is_err() {
            shared.stop();
        }
        let mut panicked = false;
        for h in helpers {
            panicked |= h.join().is_err();
        }
        match outcome {
            Ok(()) if panicked => Err(std::io::Error::other(
                "a worker thread stopped unexpectedly",
            )),
            other => other,
        }
    })
}

/// The calling thread's part: hand on what is ready, compute an item, and so on; wait only
/// when the next result is being computed by a helper and no item is left to compute.
fn caller_part<'a, T, R, F, C>(
    items: &'a [T],
    window: usize,
    next: &AtomicUsize,
    shared: &Shared<R>,
    compute: &F,
    consume: &mut C,
) -> std::io::Result<()>
where
    F: Fn(&'a T) -> R,
    C: FnMut(R) -> std::io::Result<()>,
{
    let mut batch = Vec::new();
    let mut consumed = 0;
    // An item this thread took but could not start yet (outside the window).
    let mut held: Option<usize> = None;
    while consumed < items.len() {
        {
            let mut state = shared.lock();
            while let Some(r) = state
                .ready
                .get_mut(consumed % window)
                .and_then(Option::take)
            {
                batch.push(r);
                consumed += 1;
            }
            state.consumed = consumed;
            if state.helpers_waiting > 0 && !batch.is_empty() {
                shared.space.notify_all();
            }
        }
        for r in batch.drain(..) {
            consume(r)?;
        }
        if consumed == items.len() {
            break;
        }
        let i = held
            .take()
            .unwrap_or_else(|| next.fetch_add(1, Ordering::Relaxed));
        if let Some(item) = items.get(i).filter(|_| i < consumed + window) {
            shared.put(i, compute(item));
            continue;
        }
        if i < items.len() {
            held = Some(i);
        }
        // The next result is a helper's: wait for it.
        let mut state = shared.lock();
        while !state.stop
            && state
                .ready
                .get(consumed % window)
                .is_some_and(Option::is_none)
        {
            state.caller_waiting = true;
            state = shared
                .arrived
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.caller_waiting = false;
        }
        if state.stop {
            return Err(std::io::Error::other(
                "a worker thread stopped unexpectedly",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn results_keep_input_order_for_any_thread_count_and_window() {
        let items: Vec<u64> = (0..2000).collect();
        for (threads, window) in [(1, 1), (2, 1), (2, 3), (4, 16), (8, 5000), (3, 0)] {
            let mut seen = Vec::new();
            for_each(
                &items,
                threads,
                window,
                |&n| {
                    // Uneven work, so that results arrive out of order.
                    if n % 7 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(50));
                    }
                    n * 3
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap();
            let want: Vec<u64> = items.iter().map(|n| n * 3).collect();
            assert_eq!(seen, want, "threads {threads}, window {window}");
        }
        let mut none = 0;
        for_each(
            &[] as &[u8],
            2,
            4,
            |_| (),
            |()| {
                none += 1;
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(none, 0);
    }

    #[test]
    fn results_waiting_in_memory_stay_within_two_windows() {
        let items: Vec<usize> = (0..3000).collect();
        let window = 8;
        let alive = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut waited = false;
        for_each(
            &items,
            4,
            window,
            |&i| {
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                i
            },
            |_| {
                // On a busy machine the calling thread could compute and consume every item
                // before a helper ever ran: the first result waits (up to a limit, so a run
                // that never runs ahead still ends) for a second to be computed.
                let since = std::time::Instant::now();
                while !waited
                    && alive.load(Ordering::SeqCst) < 2
                    && since.elapsed() < std::time::Duration::from_secs(10)
                {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                waited = true;
                alive.fetch_sub(1, Ordering::SeqCst);
                std::thread::yield_now();
                Ok(())
            },
        )
        .unwrap();
        let most = most.load(Ordering::SeqCst);
        assert!(most <= 2 * window, "{most} results were alive at once");
        assert!(most > 1, "the threads never ran ahead at all");
    }

    #[test]
    fn an_error_of_the_consumer_stops_the_run() {
        let items: Vec<u32> = (0..100_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = 0;
        let result = for_each(
            &items,
            2,
            32,
            |&n| {
                started.fetch_add(1, Ordering::Relaxed);
                n
            },
            |n| {
                if n == 10 {
                    return Err(std::io::Error::other("full"));
                }
                seen += 1;
                Ok(())
            },
        );
        assert_eq!(result.unwrap_err().to_string(), "full");
        assert_eq!(seen, 10);
        // Computed at most: the items the calling thread took from the window to hand on
        // (up to a window, the failing one among them), and a window beyond those.
        let started = started.load(Ordering::Relaxed);
        assert!(
            started <= 10 + 2 * 32,
            "the run went on: {started} items computed"
        );
    }

    #[test]
    fn a_panicking_helper_is_an_error_not_a_hang() {
        let items: Vec<u32> = (0..200).collect();
        let caller = std::thread::current().id();
        let helper_began = std::sync::atomic::AtomicBool::new(false);
        let result = for_each(
            &items,
            2,
            4,
            |&n| {
                if std::thread::current().id() != caller {
                    helper_began.store(true, Ordering::SeqCst);
                    panic!("a helper's item");
                }
                // The calling thread waits for the helper to take an item, however busy
                // the machine (up to a limit, so a broken run still ends).
                let since = std::time::Instant::now();
                while !helper_began.load(Ordering::SeqCst)
                    && since.elapsed() < std::time::Duration::from_secs(10)
                {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                n
            },
            |_| Ok(()),
        );
        assert!(helper_began.load(Ordering::SeqCst), "the helper never ran");
        assert!(result.is_err());
    }
}
