import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../http/errors';

/** At most 5 MB arrives; bigger bodies are refused before they are read. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** The longest side of a stored photo: a face on a phone, not a print. */
export const PHOTO_MAX_SIDE = 512;
/**
 * The most pixels we decode. A 48 MP phone photo passes; a small PNG claiming to be a huge
 * flat image (a decompression bomb) is refused from its header, before anything is decoded.
 */
export const PHOTO_MAX_INPUT_PIXELS = 50_000_000;
/**
 * The most memory a decode may hold at once. A baseline JPEG or a plain PNG is decoded a few
 * lines at a time, whatever its size (a JPEG even shrinks as it loads). A progressive JPEG
 * keeps every coefficient (two bytes a sample) and an interlaced PNG every pixel until the
 * last pass: a 1.7 MB interlaced 16-bit PNG of 49 MP took 450 MB and 5 s of a thread. This
 * budget still takes a 16 MP progressive photo saved from a gallery.
 */
export const PHOTO_MAX_HELD_BYTES = 96 * 1024 * 1024;

export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;

// One thread per image, and one image at a time per process (`oneAtATime`): plenty for a few
// uploads a minute, and the other threads of libuv's pool stay free for the file system and
// the rest. sharp alone would decode as many uploads at once as the pool has threads.
sharp.concurrency(1);
sharp.cache(false);

let turn: Promise<unknown> = Promise.resolve();

/** Runs image work after the work already queued, so decodes never overlap in this process. */
export function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = turn.then(work, work);
  turn = run.catch(() => undefined);
  return run;
}

export interface Processed {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** What an upload's refusals say, in the words of what was sent (a photo, a floor plan). */
export interface ImageWords {
  empty: string;
  tooLarge: string;
  unreadable: string;
  tooManyPixels: string;
}

const PHOTO_WORDS: ImageWords = {
  empty: 'The photo is empty: take it again.',
  tooLarge: 'The photo is larger than 5 MB.',
  unreadable: 'This is not a photo we can read: send a JPEG or PNG image.',
  tooManyPixels: 'The photo has too many pixels: take it again with the phone camera.',
};

/**
 * What the header of an upload says, checked before anything is decoded: at most 5 MB, a
 * JPEG or PNG, a bounded pixel count, and a bounded memory to decode it.
 */
export async function checkedHeader(input: Buffer, say: ImageWords): Promise<{ format: 'jpeg' | 'png'; width: number; height: number }> {
  if (input.length === 0) throw new AppError('image_unreadable', say.empty);
  if (input.length > PHOTO_MAX_BYTES) throw new AppError('image_too_large', say.tooLarge);
  let meta: Metadata;
  try {
    // The header only: nothing is decoded yet, so no pixel limit here; ours follows.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('image_unreadable', say.unreadable);
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') throw new AppError('image_unreadable', say.unreadable);
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw new AppError('image_unreadable', say.unreadable);
  if (width * height > PHOTO_MAX_INPUT_PIXELS || heldWhole(meta, width * height) > PHOTO_MAX_HELD_BYTES) {
    throw new AppError('image_too_many_pixels', say.tooManyPixels);
  }
  return { format: meta.format, width, height };
}

/** The bytes a decode holds before its first line comes out: none for a baseline JPEG or a plain PNG. */
function heldWhole(meta: Metadata, pixels: number): number {
  if (!meta.isProgressive) return 0;
  const channels = meta.channels ?? 4;
  const sampleBytes = meta.format === 'jpeg' || meta.depth === 'ushort' ? 2 : 1;
  return pixels * channels * sampleBytes;
}

/**
 * Re-encodes an uploaded JPEG or PNG as a small JPEG: turned upright by its EXIF orientation,
 * fitted in 512 x 512, transparency on white, and without any metadata (EXIF, GPS, XMP, ICC,
 * comments): sharp writes none unless asked to keep it. What the header says is checked
 * before decoding: the format must be JPEG or PNG and the pixel count bounded.
 */
export async function processPhoto(input: Buffer): Promise<Processed> {
  await checkedHeader(input, PHOTO_WORDS);
  try {
    const { data, info } = await oneAtATime(() =>
      sharp(input, { limitInputPixels: PHOTO_MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
        .rotate()
        .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82 })
        .toBuffer({ resolveWithObject: true }),
    );
    return { jpeg: data, width: info.width, height: info.height };
  } catch {
    throw new AppError('image_unreadable', 'This photo could not be read to its end: take it again.');
  }
}
