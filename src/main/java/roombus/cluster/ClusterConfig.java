package roombus.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import roombus.HubConfig;

/**
 * The Hazelcast configuration of a clustered node: {@code cluster.xml} (from the working folder,
 * else the copy inside the jar), with the members and the interface taken from the hub's
 * configuration so that nobody edits the file to start a cluster.
 */
public final class ClusterConfig {

  private ClusterConfig() {}

  public static Config load(HubConfig hub) {
    Config config = read();
    config.setClusterName(hub.clusterName());
    var network = config.getNetworkConfig();
    network.setPort(hub.clusterPort()).setPortAutoIncrement(true);
    network.setPublicAddress(hub.clusterHost());
    network.getInterfaces().setEnabled(true).clear().addInterface(hub.clusterHost());
    TcpIpConfig tcp = network.getJoin().getTcpIpConfig();
    tcp.setEnabled(true).setMembers(hub.clusterMembers());
    network.getJoin().getMulticastConfig().setEnabled(false);
    return config;
  }

  private static Config read() {
    Path file = Path.of("cluster.xml");
    try {
      if (Files.isRegularFile(file)) return new FileSystemXmlConfig(file.toFile());
    } catch (FileNotFoundException e) {
      // fall through to the packaged copy
    }
    InputStream packaged = ClusterConfig.class.getClassLoader().getResourceAsStream("cluster.xml");
    if (packaged == null) throw new IllegalStateException("cluster.xml is missing");
    return new XmlConfigBuilder(packaged).build();
  }
}
