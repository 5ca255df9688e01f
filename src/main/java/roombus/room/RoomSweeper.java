package roombus.room;

import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.HubConfig;
import roombus.common.ThrottledLog;
import roombus.store.Stores;

/**
 * The rooms' housekeeping: seats held for users who never connected are released, rooms left empty
 * past their grace are deleted with their messages, GIFs and presence records. It sweeps when a
 * deadline handed out here is due, and now and then anyway ({@link SweepSchedule}).
 *
 * <p>Used from the rooms verticle's event loop only.
 */
final class RoomSweeper {

  private static final Logger log = LoggerFactory.getLogger(RoomSweeper.class);

  /**
   * A store that is down fails every sweep (every second): said once a minute at most, beside
   * {@code event=store_unavailable}.
   */
  private static final ThrottledLog.PerKind STORE_FAILURES =
      ThrottledLog.perKind(log, Duration.ofMinutes(1));

  private final HubConfig config;
  private final Stores store;
  private final RoomEvents events;
  private final SweepSchedule sweeps;

  /** How often {@link #sweep()} should be called: a quarter of the room grace, 0.1 to 1 s. */
  final long everyMs;

  RoomSweeper(HubConfig config, Stores store, RoomEvents events) {
    this.config = config;
    this.store = store;
    this.events = events;
    this.everyMs = Math.max(100, Math.min(1000, config.roomGrace().toMillis() / 4));
    this.sweeps = new SweepSchedule(10 * everyMs);
  }

  /** A deadline handed out here (a room's deletion, a seat's hold): the sweep is due then. */
  void dueAt(long epochMillis) {
    sweeps.dueAt(epochMillis);
  }

  void sweep() {
    long now = System.currentTimeMillis();
    if (!sweeps.sweepNow(now)) return;
    // a room left empty because nobody came to use their seat was never really used: keep it longer
    long unclaimedDeadline = now + config.unclaimedRoomGrace().toMillis();
    store
        .rooms()
        .releaseUnusedSeats(now, unclaimedDeadline)
        .onSuccess(
            released -> {
              if (released.isEmpty()) return;
              sweeps.unfinished();
              sweeps.dueAt(unclaimedDeadline);
              released.forEach(d -> events.count(d.room(), d.count()));
            })
        .onFailure(
            err -> {
              sweeps.unfinished();
              STORE_FAILURES.warn(
                  "seats", "event=sweep_failed what=unused_seats reason=\"{}\"", err.getMessage());
            });
    store
        .rooms()
        .sweepEmpty(now)
        .onSuccess(
            ids -> {
              if (!ids.isEmpty()) sweeps.unfinished();
              ids.forEach(
                  id -> {
                    log.info("event=room_deleted room={} by=sweeper reason=empty", id);
                    events.removeRoom(id);
                    purge(id);
                  });
            })
        .onFailure(
            err -> {
              sweeps.unfinished();
              STORE_FAILURES.warn(
                  "rooms", "event=sweep_failed what=empty_rooms reason=\"{}\"", err.getMessage());
            });
  }

  /** A deleted room's messages, GIFs and presence records go too. */
  Future<Void> purge(String roomId) {
    return Future.join(store.chats().purge(roomId), store.presence().purge(roomId))
        .<Void>mapEmpty()
        .onFailure(
            err -> log.warn("Deleting the data of room {} failed: {}", roomId, err.getMessage()));
  }
}
