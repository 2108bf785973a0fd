/** An 8-bit image as decoders hand it over: rows of interleaved samples. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** height * width * channels bytes, row-major, samples interleaved. */
  data: Uint8Array;
}
