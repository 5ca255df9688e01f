package roombus.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;

@DisplayName("What a failure inside the hub means for the user")
class ApiErrorTest {

  @Test
  @DisplayName(
      "a part of the hub that did not answer in time is busy (503, try again), as a refusal for load is, not a fault")
  void timeoutIsBusy() {
    ApiError timedOut =
        ApiError.from(new ReplyException(ReplyFailure.TIMEOUT, "Timed out after 10000 ms"));
    ApiError refused = ApiError.from(new Refusal(Reason.BUSY));

    assertThat(timedOut).isNotNull();
    assertThat(timedOut.status()).isEqualTo(503).isEqualTo(refused.status());
    assertThat(timedOut.getMessage()).contains("try again");
  }

  @Test
  @DisplayName("a failure nobody foresaw stays a fault of the hub (logged, answered 500)")
  void otherFailuresAreFaults() {
    assertThat(ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 7, "boom")))
        .isNull();
    assertThat(ApiError.from(new IllegalStateException("boom"))).isNull();
  }
}
