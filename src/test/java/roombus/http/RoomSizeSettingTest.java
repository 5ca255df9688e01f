package roombus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.User;

@DisplayName("The largest room size is a setting")
class RoomSizeSettingTest {

  @StartHub(settings = "MAX_ROOM_SIZE=10000")
  static TestHub hub;

  @Test
  @DisplayName("with MAX_ROOM_SIZE=10000 a room of 10,000 seats can be made, one of 10,001 cannot")
  void bigRoomsWhenAllowed() {
    User owner = hub.newUser();
    TestHub.Reply big =
        owner.post("/api/rooms", new JsonObject().put("title", "Big").put("max", 10_000));
    assertThat(big.status()).isEqualTo(201);
    assertThat(big.json().getInteger("max")).isEqualTo(10_000);

    TestHub.Reply tooBig =
        owner.post("/api/rooms", new JsonObject().put("title", "Too big").put("max", 10_001));
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.json().getString("error")).contains("2 to 10000");
  }
}
