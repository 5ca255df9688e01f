package roombus.upload;

import io.vertx.core.buffer.Buffer;

/** What makes an upload a GIF: its first bytes, never its name or declared type. */
public final class GifCheck {

  public static final int MAX_BYTES = 5 * 1024 * 1024;
  public static final int HEADER_BYTES = 6;

  private GifCheck() {}

  /** True when the bytes start with a GIF signature, "GIF87a" or "GIF89a". */
  public static boolean isGif(Buffer head) {
    if (head.length() < HEADER_BYTES) return false;
    String signature = head.getString(0, HEADER_BYTES, "ISO-8859-1");
    return signature.equals("GIF87a") || signature.equals("GIF89a");
  }
}
