package roombus.security;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Multipart uploads as a test builds them, well-formed or hostile. */
final class Multipart {

  /** The smallest file that starts like a GIF: what GifCheck looks at. */
  static final byte[] TINY_GIF =
      "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);

  private Multipart() {}

  /**
   * A {@code multipart/form-data} POST of {@code parts} parts to {@code url} with the session
   * cookie {@code sid}: GIF files named {@code gif}, or small text fields.
   */
  static HttpRequest upload(String url, String sid, int parts, boolean files) {
    String boundary = "----roombus" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < parts; i++) {
      String disposition =
          files
              ? "Content-Disposition: form-data; name=\"gif\"; filename=\""
                  + i
                  + ".gif\"\r\nContent-Type: image/gif\r\n"
              : "Content-Disposition: form-data; name=\"field" + i + "\"\r\n";
      body.writeBytes(
          ("--" + boundary + "\r\n" + disposition + "\r\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes(files ? TINY_GIF : ("value" + i).getBytes(StandardCharsets.UTF_8));
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Cookie", "roombus.sid=" + sid)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }
}
