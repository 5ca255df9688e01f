package roombus;

import static roombus.HubConfig.CONFIG_FILE;
import static roombus.HubConfig.SETTINGS;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a node's settings come from: the configuration file (JSON or YAML), the environment and
 * system properties, merged by vertx-config into values by environment name ({@link HubConfig#load}
 * reads them, {@link SettingValues} checks them).
 */
final class ConfigLayers {

  private ConfigLayers() {}

  /**
   * The three layers merged by vertx-config (a file store, the {@code env} store restricted to the
   * settings' names, the {@code sys} store), as environment names to values.
   */
  static Map<String, String> read(String file) {
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(-1);
    if (file != null) {
      Path path = Path.of(file);
      if (!Files.isRegularFile(path))
        throw new IllegalArgumentException(CONFIG_FILE + " names no readable file: '" + file + "'");
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      String format = name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : "json";
      options.addStore(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat(format)
              .setConfig(new JsonObject().put("path", path.toAbsolutePath().toString())));
    }
    options.addStore(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(
                new JsonObject()
                    .put("raw-data", true)
                    .put("keys", new JsonArray(new ArrayList<>(SETTINGS)).add(CONFIG_FILE))));
    options.addStore(
        new ConfigStoreOptions()
            .setType("sys")
            .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    Vertx reader = Vertx.vertx();
    JsonObject merged;
    try {
      merged =
          ConfigRetriever.create(reader, options)
              .getConfig()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          CONFIG_FILE
              + " cannot be read as "
              + (file != null && file.matches("(?i).*\\.ya?ml") ? "YAML" : "JSON")
              + " ("
              + firstLine(cause.getMessage())
              + "): '"
              + file
              + "'");
    } finally {
      reader.close();
    }
    return settings(merged);
  }

  /**
   * The merged layers as settings: a setting's environment name (from the environment, a system
   * property, or the file) wins over its file key, which only the file has; a key of the file that
   * names no setting is refused.
   */
  private static Map<String, String> settings(JsonObject merged) {
    Map<String, String> keys = new HashMap<>();
    for (String setting : SETTINGS) keys.put(HubConfig.key(setting), setting);
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : merged.fieldNames()) {
      Object value = merged.getValue(name);
      if (SETTINGS.contains(name)) {
        String text = text(name, value);
        if (text != null && !text.isBlank()) values.put(name, text);
      } else if (keys.containsKey(name)) {
        String text = text(name, value);
        if (text != null && !text.isBlank()) values.putIfAbsent(keys.get(name), text);
      } else if (!name.contains(".")
          && !name.equals(CONFIG_FILE)
          && !System.getProperties().containsKey(name)) {
        throw new IllegalArgumentException(
            "the configuration file has a key that names no setting: '" + name + "'");
      }
    }
    return values;
  }

  private static String text(String name, Object value) {
    if (value == null) return null;
    if (value instanceof JsonArray list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    if (value instanceof JsonObject)
      throw new IllegalArgumentException(name + " must be a single value, got '" + value + "'");
    return String.valueOf(value);
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
