package roombus;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Values by environment name; a wrong one is refused with one sentence naming the setting and the
 * value.
 */
record SettingValues(Map<String, String> env) {
  String string(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  long number(String name, long fallback, long min, long max, String what) {
    String value = string(name, null);
    if (value == null) return fallback;
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
    if (n < min || n > max)
      throw new IllegalArgumentException(name + " must be " + what + ", got '" + value + "'");
    return n;
  }

  int integer(String name, int fallback, int min) {
    return (int)
        number(name, fallback, min, Integer.MAX_VALUE, "a whole number of at least " + min);
  }

  /**
   * A limit against abuse: 1 to {@link HubConfig#MAX_LIMIT} (0 would switch a feature off, not a
   * limit).
   */
  int limit(String name, int fallback) {
    return (int)
        number(
            name,
            fallback,
            1,
            HubConfig.MAX_LIMIT,
            "a whole number from 1 to " + HubConfig.MAX_LIMIT);
  }

  int port(String name, int fallback) {
    return (int) number(name, fallback, 0, 65535, "a port from 0 to 65535");
  }

  Duration millis(String name, long fallback, long min) {
    return Duration.ofMillis(
        number(name, fallback, min, Long.MAX_VALUE / 1_000_000, "milliseconds, at least " + min));
  }

  boolean bool(String name, boolean fallback) {
    String value = string(name, null);
    if (value == null) return fallback;
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }

  /** An http(s) address with a host and nothing after it but a slash ({@code PUBLIC_URL}). */
  String url(String name, String fallback) {
    String value = string(name, fallback);
    if (!isWebOrigin(value.endsWith("/") ? value.substring(0, value.length() - 1) : value)) {
      throw new IllegalArgumentException(
          name
              + " must be an http or https address such as http://chat.example:8080, got '"
              + value
              + "'");
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  /** A comma-separated list of web origins ({@code ALLOWED_ORIGINS}); empty when unset. */
  List<String> urls(String name) {
    String value = string(name, null);
    if (value == null) return List.of();
    List<String> origins =
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String origin : origins) {
      if (!isWebOrigin(origin)) {
        throw new IllegalArgumentException(
            name + " must list origins such as https://chat.example, got '" + origin + "'");
      }
    }
    return origins;
  }

  private static boolean isWebOrigin(String value) {
    try {
      URI uri = new URI(value);
      return uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  String oneOf(String name, String fallback, List<String> allowed) {
    String value = string(name, null);
    if (value == null) return fallback;
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new IllegalArgumentException(
          name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
    return lower;
  }
}
