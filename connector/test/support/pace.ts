/** Checking a pace from what a receiver saw (pacing tests and the benchmark). */

/** The most of these arrival times (milliseconds) that fall within any one second: what a pace is checked against. */
export function busiestSecond(arrivals: readonly number[]): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** What a pace of `rate` a second allows in any one second, with the stated tolerance: 10% and one (timers, clocks). */
export const allowedPerSecond = (rate: number) => Math.floor(rate * 1.1) + 1;
