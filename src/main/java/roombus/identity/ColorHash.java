package roombus.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The colour of a string as the Node {@code color-hash} package (2.x, default options) computes it:
 * the first 32 bits of SHA-256 pick a hue, a saturation and a lightness from three each. The
 * arithmetic is done in doubles, as JavaScript does it, so the same input gives the same colour.
 */
public final class ColorHash {

  private static final double[] LEVELS = {0.35, 0.5, 0.65};

  private ColorHash() {}

  public static String hex(String input) {
    double hash = sha256ToInt(input);
    double h = hash % 359;
    hash = Math.ceil(hash / 360);
    double s = LEVELS[(int) (hash % LEVELS.length)];
    hash = Math.ceil(hash / LEVELS.length);
    double l = LEVELS[(int) (hash % LEVELS.length)];
    return toHex(hslToRgb(h, s, l));
  }

  private static double sha256ToInt(String input) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return Long.parseLong(HexFormat.of().formatHex(digest, 0, 4), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static long[] hslToRgb(double h, double s, double l) {
    h /= 360;
    double q = l < 0.5 ? l * (1 + s) : l + s - l * s;
    double p = 2 * l - q;
    double[] channels = {h + 1.0 / 3, h, h - 1.0 / 3};
    long[] rgb = new long[3];
    for (int i = 0; i < 3; i++) {
      double c = channels[i];
      if (c < 0) c++;
      if (c > 1) c--;
      if (c < 1.0 / 6) c = p + (q - p) * 6 * c;
      else if (c < 0.5) c = q;
      else if (c < 2.0 / 3) c = p + (q - p) * 6 * (2.0 / 3 - c);
      else c = p;
      rgb[i] = jsRound(c * 255);
    }
    return rgb;
  }

  /** JavaScript's Math.round: halves round up, towards positive infinity. */
  private static long jsRound(double v) {
    return (long) Math.floor(v + 0.5);
  }

  private static String toHex(long[] rgb) {
    StringBuilder sb = new StringBuilder("#");
    for (long c : rgb) {
      if (c < 16) sb.append('0');
      sb.append(Long.toHexString(c));
    }
    return sb.toString();
  }
}
