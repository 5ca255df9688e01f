package roombus.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Which node numbers a room's messages")
class NumberingNodesTest {

  private static final List<String> NODES =
      IntStream.range(0, 3).mapToObj(i -> UUID.randomUUID().toString()).toList();
  private static final List<String> ROOMS =
      IntStream.range(0, 3000).mapToObj(i -> "room" + i).toList();

  @Test
  @DisplayName("every node agrees, and three nodes share the rooms about evenly")
  void spreadAndAgreement() {
    Map<String, Integer> perNode = new HashMap<>();
    for (String room : ROOMS) {
      String chosen = NumberingNodes.of(room, NODES, NODES.get(0));
      assertThat(NODES).contains(chosen);
      assertThat(
              NumberingNodes.of(
                  room, List.of(NODES.get(2), NODES.get(0), NODES.get(1)), NODES.get(1)))
          .isEqualTo(chosen);
      perNode.merge(chosen, 1, Integer::sum);
    }
    assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
  }

  @Test
  @DisplayName("when a node leaves, only its rooms move; alone, a node numbers every room")
  void nodeLeaves() {
    String leaving = NODES.get(1);
    List<String> rest = List.of(NODES.get(0), NODES.get(2));
    for (String room : ROOMS) {
      String before = NumberingNodes.of(room, NODES, NODES.get(0));
      String after = NumberingNodes.of(room, rest, NODES.get(0));
      if (!before.equals(leaving)) assertThat(after).isEqualTo(before);
      assertThat(NumberingNodes.of(room, List.of(NODES.get(2)), NODES.get(2)))
          .isEqualTo(NODES.get(2));
    }
  }
}
