package roombus.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import roombus.busclient.HubUrl;

/** The command line of {@code roombus client}: which hub, which room, which bridge. */
record ClientOptions(
    List<URI> urls,
    String room,
    String create,
    String password,
    int tcpPort,
    boolean list,
    boolean help) {

  static final String USAGE =
      """
      usage: java -jar roombus.jar client [options]
        --url <url>[,<url>…] the hub (default http://127.0.0.1:8080/); several nodes of one cluster: when
                            the node goes away (close code 4001) the client reconnects to the next one
        --list              list the rooms and exit
        --room <id>         enter this room
        --create <title>    create a room and enter it
        --password <pw>     the room's password (to enter a locked room, or to lock the new one)
        --tcp <port>        use the TCP bridge on this port of the hub's host instead of the websocket
        --help              this text
      In a room, every line typed is sent as a chat and every message is printed as a line.
      End of input (Ctrl-D) leaves the room and exits.""";

  /** Parses the arguments after {@code client}; throws IllegalArgumentException with a reason. */
  static ClientOptions parse(String... args) {
    List<URI> urls = List.of(URI.create("http://127.0.0.1:8080/"));
    String room = null;
    String create = null;
    String password = null;
    int tcpPort = 0;
    boolean list = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--url" ->
            urls =
                Arrays.stream(value(args, ++i, arg).split(","))
                    .map(String::trim)
                    .filter(u -> !u.isEmpty())
                    .map(ClientOptions::url)
                    .toList();
        case "--room" -> room = value(args, ++i, arg);
        case "--create" -> create = value(args, ++i, arg);
        case "--password" -> password = value(args, ++i, arg);
        case "--tcp" -> tcpPort = port(value(args, ++i, arg));
        case "--list" -> list = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    if (room != null && create != null)
      throw new IllegalArgumentException("use either --room or --create, not both");
    if (!help && !list && room == null && create == null) {
      throw new IllegalArgumentException(
          "say which room: --room <id>, --create <title>, or --list");
    }
    if (urls.isEmpty()) throw new IllegalArgumentException("--url needs a URL");
    return new ClientOptions(urls, room, create, password, tcpPort, list, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--"))
      throw new IllegalArgumentException(option + " needs a value");
    return args[i];
  }

  private static URI url(String text) {
    try {
      URI url = new URI(text.endsWith("/") ? text : text + "/");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "--url must be an http:// or https:// URL, got '" + text + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--url is not a URL: '" + text + "'");
    }
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--tcp needs a port from 1 to 65535, got '" + text + "'");
    }
  }

  boolean tcp() {
    return tcpPort > 0;
  }

  /** The first node: where the session starts. */
  URI url() {
    return urls.get(0);
  }

  HubUrl hub() {
    return HubUrl.of(url());
  }

  /** The {@code n}th node, round the list. */
  HubUrl node(int n) {
    return HubUrl.of(urls.get(Math.floorMod(n, urls.size())));
  }
}
