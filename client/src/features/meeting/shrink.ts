/**
 * A phone photo made small before it leaves the phone: at most 1024 px on its longer side,
 * as a JPEG. Phones write 3 to 8 MB; this sends a few hundred kB. The server resizes and
 * strips it again whatever arrives. When the browser cannot decode the file, it is sent as
 * it is and the server says what is wrong with it.
 */
export async function shrinkPhoto(file: Blob, maxSide = 1024): Promise<Blob> {
  if (typeof createImageBitmap !== 'function') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return file;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.88));
  return blob ?? file;
}
