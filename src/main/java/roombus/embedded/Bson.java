package roombus.embedded;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Documents to BSON bytes and back, with mongo-java-server's own codec (the one its wire protocol
 * uses).
 */
final class Bson {

  private Bson() {}

  static byte[] encode(Document document) {
    ByteBuf buffer = Unpooled.buffer(256);
    BsonEncoder.encodeDocument(document, buffer);
    return ByteBufUtil.getBytes(buffer);
  }

  static Document decode(byte[] bson) {
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
  }
}
