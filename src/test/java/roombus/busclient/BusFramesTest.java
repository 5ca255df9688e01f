package roombus.busclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Frames from the hub are read as stock Vert.x bridges write them")
class BusFramesTest {

  @Test
  @DisplayName(
      "a delivered message is a rec frame (SockJS bridge) or a message frame (TCP bridge), with body, headers and reply address")
  void recAndMessage() {
    JsonObject body = new JsonObject().put("type", "chat").put("chat", "hi");
    BusMessage rec =
        BusMessage.of(
            new JsonObject(
                """
        {"type":"rec","address":"chat.room.r1","body":{"type":"chat","chat":"hi"},"headers":{"seq":"7"},"replyAddress":"back"}"""));
    BusMessage message =
        BusMessage.of(
            new JsonObject(
                """
        {"type":"message","address":"reply.1","send":true,"body":{"type":"chat","chat":"hi"}}"""));

    assertThat(rec.address()).isEqualTo("chat.room.r1");
    assertThat(rec.json()).isEqualTo(body);
    assertThat(rec.headers().getString("seq")).isEqualTo("7");
    assertThat(rec.replyAddress()).isEqualTo("back");
    assertThat(message.address()).isEqualTo("reply.1");
    assertThat(message.json()).isEqualTo(body);
    assertThat(message.headers()).isEmpty();
    assertThat(message.replyAddress()).isNull();
  }

  @Test
  @DisplayName(
      "a body that is no object is kept as it is; frames of other types, or without an address, are no messages")
  void notMessages() {
    assertThat(
            BusMessage.of(new JsonObject("{\"type\":\"rec\",\"address\":\"a\",\"body\":\"text\"}"))
                .body())
        .isEqualTo("text");
    assertThat(
            BusMessage.of(new JsonObject("{\"type\":\"rec\",\"address\":\"a\",\"body\":\"text\"}"))
                .json())
        .isNull();
    assertThat(BusMessage.of(new JsonObject("{\"type\":\"pong\"}"))).isNull();
    assertThat(
            BusMessage.of(
                new JsonObject("{\"type\":\"err\",\"address\":\"a\",\"body\":\"access_denied\"}")))
        .isNull();
    assertThat(BusMessage.of(new JsonObject("{\"type\":\"rec\",\"body\":{}}"))).isNull();
  }

  @Test
  @DisplayName(
      "an err frame with failureCode, failureType and message reads as a BusError about its address")
  void failure() {
    BusError error =
        BusError.of(
            new JsonObject(
                """
        {"type":"err","address":"reply.3","failureCode":429,"failureType":"RECIPIENT_FAILURE","message":"Slow down: too many messages"}"""));

    assertThat(error.address()).isEqualTo("reply.3");
    assertThat(error.failureCode()).isEqualTo(429);
    assertThat(error.failureType()).isEqualTo("RECIPIENT_FAILURE");
    assertThat(error.getMessage()).isEqualTo("Slow down: too many messages");
  }

  @Test
  @DisplayName(
      "a bridge refusal that carries only a body (access_denied) reads with that body as its type and message")
  void refusal() {
    BusError error = BusError.of(new JsonObject("{\"type\":\"err\",\"body\":\"access_denied\"}"));

    assertThat(error.address()).isNull();
    assertThat(error.failureCode()).isEqualTo(-1);
    assertThat(error.failureType()).isEqualTo("access_denied");
    assertThat(error.getMessage()).isEqualTo("access_denied");
    assertThat(error.body()).isEqualTo("access_denied");
    assertThat(BusError.of(new JsonObject("{\"type\":\"rec\",\"address\":\"a\"}"))).isNull();
  }

  @Test
  @DisplayName("bytes that are no JSON object come as an unparsable frame holding the text")
  void unparsable() {
    assertThat(BusClient.parse(Buffer.buffer("not {json")))
        .isEqualTo(new JsonObject().put("type", "unparsable").put("text", "not {json"));
    assertThat(BusClient.parse(Buffer.buffer("[1,2]")).getString("type")).isEqualTo("unparsable");
    assertThat(BusClient.parse(Buffer.buffer("{\"type\":\"pong\"}")).getString("type"))
        .isEqualTo("pong");
  }
}
