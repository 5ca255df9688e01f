package roombus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@link TestHub} started for the test, on a free port with a fresh data folder, and closed (data
 * deleted) after it, whatever the test did. Its scope follows where it is written, as JUnit's
 * {@code @TempDir}:
 *
 * <pre>{@code
 * @StartHub static TestHub hub;           // one hub for the whole class, its @Nested classes included
 * @StartHub TestHub hub;                  // a fresh hub for each test method
 * void test(@StartHub TestHub hub) {...}  // a hub for this test alone
 * }</pre>
 *
 * Settings override the test defaults ({@link TestHub#defaults}) as environment entries would:
 * {@code @StartHub(settings = {"ROOM_GRACE_MS=1000", "SEAT_HOLD_MS=1000"})}.
 *
 * @see HubExtension
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(HubExtension.class)
public @interface StartHub {

  /** {@code NAME=value} pairs, as in the hub's environment. */
  String[] settings() default {};

  /** Also serve the TCP bridge, on a free port: {@link TestHub#tcpPort()}. */
  boolean tcpBridge() default false;
}
