package roombus.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files a static route may serve, listed once from the class path when the verticle starts; a
 * request for any other name is answered 404 before a static handler looks it up. Looking a name up
 * on the class path costs heap for good: the JDK's class loader remembers every resource name it
 * was asked for, found or not (about 1 KiB for a name of 1,000 characters), and clients can make up
 * names without end.
 */
final class StaticFiles {

  private final String mount;
  private final Set<String> names;

  private StaticFiles(String mount, Set<String> names) {
    this.mount = mount;
    this.names = Set.copyOf(names);
  }

  /**
   * The files under the class-path folder {@code root}, served at {@code mount} (ending in {@code
   * /}), in the jar or folder that holds {@code root/anchor} (a jar need not list its folders, so a
   * file finds it). Blocking: it reads the class path. Fails if the anchor is missing, so that a
   * packaging mistake shows at start.
   */
  static StaticFiles list(String root, String anchor, String mount) {
    URL found = StaticFiles.class.getClassLoader().getResource(root + "/" + anchor);
    if (found == null)
      throw new IllegalStateException("No " + root + "/" + anchor + " on the class path");
    try {
      return new StaticFiles(mount, filesNear(found, root, anchor));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets a GET or HEAD through only for a listed file (or a folder whose index page is listed). */
  Handler<RoutingContext> only() {
    return ctx -> {
      HttpMethod method = ctx.request().method();
      String path = ctx.normalizedPath();
      if (method != HttpMethod.GET && method != HttpMethod.HEAD || isListed(path)) {
        ctx.next();
      } else {
        ctx.fail(404);
      }
    };
  }

  private boolean isListed(String path) {
    if (!path.startsWith(mount)) return false;
    String name = path.substring(mount.length());
    return names.contains(name.isEmpty() || name.endsWith("/") ? name + "index.html" : name);
  }

  /** The files under {@code root} in the jar or folder where {@code anchor} was found. */
  private static Set<String> filesNear(URL anchorUrl, String root, String anchor)
      throws IOException {
    Set<String> names = new TreeSet<>();
    if ("jar".equals(anchorUrl.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) anchorUrl.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        String prefix = root + "/";
        jar.stream()
            .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
            .map(JarEntry::getName)
            .forEach(name -> names.add(name.substring(prefix.length())));
      }
    } else if ("file".equals(anchorUrl.getProtocol())) {
      try {
        Path folder = Path.of(anchorUrl.toURI()).getParent();
        for (int depth = anchor.split("/").length; depth > 1; depth--) folder = folder.getParent();
        Path dir = folder;
        try (Stream<Path> files = Files.walk(dir)) {
          files
              .filter(Files::isRegularFile)
              .forEach(file -> names.add(dir.relativize(file).toString().replace('\\', '/')));
        }
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }
    if (names.isEmpty())
      throw new IOException(
          "Cannot list the class-path files under " + root + " (" + anchorUrl + ")");
    return names;
  }
}
