package roombus.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Typed calls between the verticles of one node, over the event bus: a service interface whose
 * methods all return {@link Future} is {@linkplain #expose exposed} by the verticle that implements
 * it, on one address, and {@linkplain #proxy called} through a proxy of the same interface from any
 * other verticle. Each call runs on the exposing verticle's event loop, so an implementation
 * confined to it stays so.
 *
 * <p>Arguments and results cross as the objects themselves (a local codec: no JSON copy either
 * way); they must be immutable (records, strings, numbers, lists that nobody changes afterwards).
 * Failures come back as the very exception the implementation failed with, so domain errors keep
 * their type. A call that reaches the service after its caller stopped waiting (an event loop
 * behind on its work) is not run: its caller has failed it already, and the time is better spent on
 * the calls still awaited.
 *
 * <p>This is what {@code vertx-service-proxy} generates, minus the JSON: enough for calls that
 * never leave the node. What crosses nodes (the room addresses, the numbering node's appends) is
 * JSON.
 */
public final class LocalServices {

  private static final String CODEC = "roombus.local";
  private static final long TIMEOUT_MS = 15_000;

  private LocalServices() {}

  /**
   * Answers calls to {@code service} on {@code address}; completes once the consumer is registered.
   */
  public static <T> Future<MessageConsumer<Call>> expose(
      Vertx vertx, String address, Class<T> type, T service) {
    registerCodec(vertx);
    MessageConsumer<Call> consumer =
        vertx.eventBus().<Call>localConsumer(address, msg -> answer(msg, type, service));
    return consumer.completion().map(consumer);
  }

  /** A proxy whose every call is a request to the service exposed on {@code address}. */
  public static <T> T proxy(Vertx vertx, String address, Class<T> type) {
    return proxy(vertx, address, type, TIMEOUT_MS);
  }

  /** A proxy whose calls fail (a timeout) when not answered within {@code timeoutMs}. */
  public static <T> T proxy(Vertx vertx, String address, Class<T> type, long timeoutMs) {
    registerCodec(vertx);
    DeliveryOptions options = new DeliveryOptions().setCodecName(CODEC).setSendTimeout(timeoutMs);
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    InvocationHandler handler =
        (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class)
            return objectMethod(self, method, args, address);
          Call call =
              new Call(
                  method, args == null ? new Object[0] : args, System.nanoTime() + timeoutNanos);
          return vertx
              .eventBus()
              .<Outcome>request(address, call, options)
              .compose(
                  reply ->
                      reply.body().failure == null
                          ? Future.succeededFuture(reply.body().value)
                          : Future.failedFuture(reply.body().failure));
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static <T> void answer(Message<Call> msg, Class<T> type, T service) {
    Call call = msg.body();
    if (System.nanoTime() - call.deadline > 0) return; // the caller timed out: nobody to answer
    Future<?> result;
    try {
      if (call.method.getDeclaringClass() != type)
        throw new IllegalArgumentException("Not a method of " + type + ": " + call);
      result = (Future<?>) call.method.invoke(service, call.args);
    } catch (InvocationTargetException e) {
      result = Future.failedFuture(e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      result = Future.failedFuture(e);
    }
    DeliveryOptions reply = new DeliveryOptions().setCodecName(CODEC);
    result.onComplete(
        done ->
            msg.reply(new Outcome(done.succeeded() ? done.result() : null, done.cause()), reply));
  }

  private static Object objectMethod(Object self, Method method, Object[] args, String address) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> "LocalServices.proxy(" + address + ")";
    };
  }

  private static void registerCodec(Vertx vertx) {
    synchronized (LocalServices.class) {
      try {
        vertx.eventBus().registerCodec(new PassThrough());
      } catch (IllegalStateException alreadyRegistered) {
        // one codec per Vert.x instance, whichever service registered it first
      }
    }
  }

  /**
   * One call of a service method (the interface's own method: the consumer invokes it as it is),
   * and when its caller stops waiting ({@link System#nanoTime()}: calls never leave the node).
   */
  public record Call(Method method, Object[] args, long deadline) {
    @Override
    public String toString() {
      return method.getName() + Arrays.toString(method.getParameterTypes());
    }
  }

  /** The answer to a call: its value, or the exception it failed with. */
  record Outcome(Object value, Throwable failure) {}

  /** Hands the object itself to the consumer; such messages never leave the node. */
  private static final class PassThrough implements MessageCodec<Object, Object> {
    @Override
    public void encodeToWire(Buffer buffer, Object o) {
      throw new IllegalStateException("A local service call cannot cross nodes");
    }

    @Override
    public Object decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("A local service call cannot cross nodes");
    }

    @Override
    public Object transform(Object o) {
      return o;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
