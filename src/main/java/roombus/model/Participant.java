package roombus.model;

import io.vertx.core.json.JsonObject;

/** Someone present in a room, as the room shows them. */
public record Participant(String user, String color) {

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("color", color);
  }
}
