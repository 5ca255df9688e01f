package roombus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The seqs a socket was given: a gap is seen, waited for, and settled")
class DeliveredSeqsTest {

  @Test
  @DisplayName("seqs in order leave no gap; the first one starts the count without a catch-up")
  void inOrder() {
    DeliveredSeqs seqs = new DeliveredSeqs(-1);
    assertThat(seqs.wrote(41)).isFalse();
    assertThat(seqs.wrote(42)).isFalse();
    assertThat(seqs.wrote(0)).as("not a stored message").isFalse();
    assertThat(seqs.hasGap()).isFalse();
    assertThat(seqs.through()).isEqualTo(42);
  }

  @Test
  @DisplayName("a seq out of order opens a gap that the late one closes")
  void outOfOrder() {
    DeliveredSeqs seqs = new DeliveredSeqs(10);
    assertThat(seqs.wrote(12)).isTrue();
    assertThat(seqs.wrote(13)).isTrue();
    assertThat(seqs.highest()).isEqualTo(13);
    assertThat(seqs.wroteAhead(12)).isTrue();
    assertThat(seqs.wroteAhead(11)).isFalse();
    assertThat(seqs.wrote(11)).isFalse();
    assertThat(seqs.hasGap()).isFalse();
    assertThat(seqs.through()).isEqualTo(13);
    assertThat(seqs.wrote(12)).as("a repeat").isFalse();
  }

  @Test
  @DisplayName("once the store was asked up to a seq, what it did not have is not waited for")
  void settled() {
    DeliveredSeqs seqs = new DeliveredSeqs(10);
    seqs.wrote(12);
    seqs.wrote(15);
    seqs.wrote(17);
    seqs.settledThrough(15);
    assertThat(seqs.through()).isEqualTo(15);
    assertThat(seqs.hasGap()).as("16 is still missing").isTrue();
    seqs.settledThrough(17);
    assertThat(seqs.hasGap()).isFalse();
    assertThat(seqs.wrote(18)).isFalse();
    assertThat(seqs.through()).isEqualTo(18);
  }
}
