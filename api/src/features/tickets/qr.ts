import QRCode from 'qrcode';

/**
 * Medium error correction survives a creased or scuffed badge without making the code so
 * dense that a cheap kiosk camera struggles; the 4-module quiet zone is what the QR
 * standard asks for and what scanners need to find the code on a busy badge.
 */
const qrOptions = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...qrOptions, type: 'svg' });
}

export function qrPng(text: string): Promise<Buffer> {
  // 512 px prints sharp at badge size and stays crisp on a phone screen.
  return QRCode.toBuffer(text, { ...qrOptions, type: 'png', width: 512 });
}
