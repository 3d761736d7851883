/**
 * How much of the global pass runs between two checkpoints, where a stepped pass may pause
 * and let updates in: people per checkpoint, by the cost of what the pass does for each. At
 * 50,000 present, on a busy 2-core machine, these keep the gap between checkpoints around
 * a millisecond or two (garbage collection pauses aside).
 */
export const CHUNK_LOOKUP = 16;
export const CHUNK_LISTS = 128;
export const CHUNK_LIGHT = 1024;
/** Short lists widened or repaired (each looks for candidates), and auction bidders, per checkpoint. */
export const CHUNK_WIDEN = 8;
export const CHUNK_BIDS = 128;
