/** Draws a decoded image again at most `maxSide` px on its longer side, as `type`; null when the browser cannot. */
async function redraw(bitmap: ImageBitmap, maxSide: number, type: 'image/jpeg' | 'image/png'): Promise<Blob | null> {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.88));
}

async function decode(file: Blob): Promise<ImageBitmap | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    return await createImageBitmap(file);
  } catch {
    return null;
  }
}

/**
 * A phone photo made small before it leaves the phone: at most 1024 px on its longer side,
 * as a JPEG. Phones write 3 to 8 MB; this sends a few hundred kB. The server resizes and
 * strips it again whatever arrives. When the browser cannot decode the file, it is sent as
 * it is and the server says what is wrong with it.
 */
export async function shrinkPhoto(file: Blob, maxSide = 1024): Promise<Blob> {
  const bitmap = await decode(file);
  if (!bitmap) return file;
  const blob = await redraw(bitmap, maxSide, 'image/jpeg');
  bitmap.close();
  return blob ?? file;
}

/** The most a floor plan upload may weigh, and the longest side the server keeps. */
const PLAN_MAX_BYTES = 5 * 1024 * 1024;
const PLAN_MAX_SIDE = 2000;

/**
 * A floor plan as it is sent: untouched when it is within 2000 px and 5 MB (the server
 * re-encodes it anyway), else drawn again at 2000 px, a PNG as a PNG (sharp lines) and
 * anything else as a JPEG, so a large export from a drawing program still goes up.
 */
export async function fitPlan(file: Blob): Promise<Blob> {
  const bitmap = await decode(file);
  if (!bitmap) return file;
  const small = Math.max(bitmap.width, bitmap.height) <= PLAN_MAX_SIDE && file.size <= PLAN_MAX_BYTES;
  const blob = small ? file : await redraw(bitmap, PLAN_MAX_SIDE, file.type === 'image/png' ? 'image/png' : 'image/jpeg');
  bitmap.close();
  return blob ?? file;
}
