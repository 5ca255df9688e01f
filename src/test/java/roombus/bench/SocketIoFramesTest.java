package roombus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static roombus.bench.SocketIoFrames.Kind;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Engine.IO v4 and Socket.IO v5 frames the load tool reads and writes for the Socket.IO peer,
 * as a Socket.IO 4.8 server writes them, and the chat line both targets carry. No server is
 * started.
 */
class SocketIoFramesTest {

  @Test
  @DisplayName("server frames are told apart by their first bytes, in the /chat namespace only")
  void kinds() {
    assertThat(
            kind(
                "0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"))
        .isEqualTo(Kind.OPEN);
    assertThat(kind("2")).isEqualTo(Kind.PING);
    assertThat(kind("1")).isEqualTo(Kind.CLOSE);
    assertThat(kind("40/chat,{\"sid\":\"xyz\"}")).isEqualTo(Kind.CONNECTED);
    assertThat(kind("41/chat,")).isEqualTo(Kind.DISCONNECTED);
    assertThat(kind("42/chat,[\"chat\",{\"room\":\"r1\"}]")).isEqualTo(Kind.EVENT);
    assertThat(kind("43/chat,1[{\"ok\":true}]")).isEqualTo(Kind.ACK);
    assertThat(kind("44/chat,{\"message\":\"Invalid namespace\"}")).isEqualTo(Kind.CONNECT_ERROR);
    // the root namespace, another namespace, a prefix of ours, noop, nothing at all
    assertThat(kind("42[\"chat\",{}]")).isEqualTo(Kind.OTHER);
    assertThat(kind("42/chatty,[\"chat\",{}]")).isEqualTo(Kind.OTHER);
    assertThat(kind("42/cha")).isEqualTo(Kind.OTHER);
    assertThat(kind("6")).isEqualTo(Kind.OTHER);
    assertThat(kind("")).isEqualTo(Kind.OTHER);
  }

  @Test
  @DisplayName("an ack frame gives its id; a frame without one gives -1")
  void ackIds() {
    assertThat(SocketIoFrames.ackId(Buffer.buffer("43/chat,1[{\"ok\":true}]"))).isEqualTo(1);
    assertThat(SocketIoFrames.ackId(Buffer.buffer("43/chat,274[]"))).isEqualTo(274);
    assertThat(SocketIoFrames.ackId(Buffer.buffer("43/chat,[]"))).isEqualTo(-1);
  }

  @Test
  @DisplayName(
      "the client frames are what the peer expects: open /chat, join with an ack id, chat {room,user,chat,t}")
  void clientFrames() {
    assertThat(SocketIoFrames.PONG).isEqualTo("3");
    assertThat(SocketIoFrames.CONNECT).isEqualTo("40/chat,");
    assertThat(SocketIoFrames.join("r7", 1)).isEqualTo("42/chat,1[\"join\",{\"room\":\"r7\"}]");
    StringBuilder chat = new StringBuilder(SocketIoFrames.chatPrefix("r7", "u3"));
    ChatLine.append(chat, 123456789L, 42L, 20);
    SocketIoFrames.chatSuffix(chat, 123456789L);
    assertThat(chat.toString())
        .isEqualTo(
            "42/chat,[\"chat\",{\"room\":\"r7\",\"user\":\"u3\",\"chat\":\"t=123456789 r=42 xxx\",\"t\":123456789}]");
  }

  @Test
  @DisplayName("a delivery gives its send time for this run only; other frames give none")
  void sendTimes() {
    String delivered =
        "42/chat,[\"chat\",{\"room\":\"r7\",\"user\":\"u3\",\"chat\":\"t=123456789 r=42 xxxx\",\"t\":123456789}]";
    assertThat(ChatLine.sentAt(Buffer.buffer(delivered), 42L)).isEqualTo(123456789L);
    assertThat(ChatLine.sentAt(Buffer.buffer(delivered), 43L)).isEqualTo(ChatLine.OTHER_RUN);
    assertThat(ChatLine.sentAt(Buffer.buffer("43/chat,1[{\"ok\":true}]"), 42L))
        .isEqualTo(ChatLine.NOT_CHAT);
    // the roombus bridge frame of the same line reads the same
    String rec =
        "{\"type\":\"rec\",\"address\":\"chat.room.a\",\"body\":{\"seq\":5,\"chat\":\"t=987 r=42 xx\"}}";
    assertThat(ChatLine.sentAt(Buffer.buffer(rec), 42L)).isEqualTo(987L);
  }

  private static Kind kind(String frame) {
    return SocketIoFrames.kind(Buffer.buffer(frame));
  }
}
