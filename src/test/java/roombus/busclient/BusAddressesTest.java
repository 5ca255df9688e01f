package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.Addresses;

@DisplayName("The client's copy of the public addresses is the hub's")
class BusAddressesTest {

  @Test
  @DisplayName("the room list and the room prefix are the addresses the hub bridges")
  void sameAsTheHub() {
    assertThat(BusAddresses.ROOM_LIST).isEqualTo(Addresses.ROOM_LIST);
    assertThat(BusAddresses.ROOM_PREFIX).isEqualTo(Addresses.ROOM_PREFIX);
    assertThat(BusAddresses.room("abc")).isEqualTo(Addresses.room("abc"));
  }
}
