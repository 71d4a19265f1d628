// The Rust validator's semantic checks (`trtc_live_validate::SEMANTIC_CHECKS`), ported check by
// check: what the documentation says about a packet's times, beyond its schema. They run on
// valid packets and give warnings of kind `semantic`, never an error; the tests of the
// repository hold them to the Rust ones, message included. Battle `CreateTime`, `StartTime`,
// `EndTime`, room `CreateTime` and message `MsgTime` are Unix seconds, `EventTime` and a battle's
// `Duration` milliseconds; every comparison is exact (bigint).
import type { CommandWord } from "./types.js";
import type { WebhookWarning } from "./warnings.js";

/** How far `Duration` may be from the `EndTime - StartTime` window, in milliseconds, inclusive. */
const DURATION_TOLERANCE_MS = 1000n;

/** A point in time of a packet, in Unix seconds, with its member (`RoomInfo/CreateTime`). */
interface Seconds {
  readonly field: string;
  readonly value: bigint;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** An integer member's value (a number, a bigint, or a string of digits), exactly. */
function integer(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^[0-9]{1,19}$/.test(value)) return BigInt(value);
  return undefined;
}

function warning(check: string, member: string, message: string): WebhookWarning {
  return { kind: "semantic", check, instancePath: `/${member}`, message };
}

/** The semantic warnings of a valid request of `command`, in the order of the Rust checks. */
export function semanticWarnings(command: CommandWord, packet: unknown): WebhookWarning[] {
  if (!isObject(packet)) return [];
  switch (command) {
    case "Live.CallbackAfterStartBattle":
    case "Live.CallbackAfterEndBattle":
      return battleWarnings(command === "Live.CallbackAfterEndBattle", packet);
    case "Live.CallbackAfterCreateRoom":
    case "Live.CallbackAfterDestroyRoom":
    case "Live.CallbackAfterUpdateRoomInfo": {
      const room = packet["RoomInfo"];
      const created = isObject(room) ? integer(room["CreateTime"]) : undefined;
      const eventTime = integer(packet["EventTime"]);
      if (created === undefined || eventTime === undefined) return [];
      return eventTimeNotBefore(
        "event-time-after-room-creation",
        eventTime,
        { field: "RoomInfo/CreateTime", value: created },
        "the room was created",
      );
    }
    case "Group.CallbackAfterSendMsg": {
      const eventTime = integer(packet["EventTime"]);
      const msgTime = integer(packet["MsgTime"]);
      if (eventTime === undefined || msgTime === undefined) return [];
      return eventTimeNotBefore(
        "event-time-after-message-time",
        eventTime,
        { field: "MsgTime", value: msgTime },
        "the message was sent",
      );
    }
    default:
      return [];
  }
}

/** `battle-time-order`, `battle-duration-window` (End Battle) and `event-time-after-battle-times`. */
function battleWarnings(ended: boolean, packet: Record<string, unknown>): WebhookWarning[] {
  const [create, start, end, duration, eventTime] = ["CreateTime", "StartTime", "EndTime", "Duration", "EventTime"].map(
    (member) => integer(packet[member]),
  );
  const opType = integer(packet["OpType"]);
  if (create === undefined || start === undefined || duration === undefined || eventTime === undefined) return [];
  if (ended && (end === undefined || opType === undefined)) return [];
  // CreateTime, then StartTime unless the battle never started (OpType 2), then EndTime.
  const times: Seconds[] = [{ field: "CreateTime", value: create }];
  if (!ended || opType !== 2n) times.push({ field: "StartTime", value: start });
  if (ended) times.push({ field: "EndTime", value: end! });
  const warnings: WebhookWarning[] = [];
  for (let i = 1; i < times.length; i++) {
    const [earlier, later] = [times[i - 1]!, times[i]!];
    if (later.value < earlier.value) {
      warnings.push(
        warning(
          "battle-time-order",
          later.field,
          `${later.field} ${later.value} s is before ${earlier.field} ${earlier.value} s: a battle's ${later.field} must not be before its ${earlier.field}`,
        ),
      );
    }
  }
  // With OpType 0 the battle's time ran out: EndTime - StartTime matches Duration within 1 s.
  if (ended && opType === 0n && end! >= start) {
    const windowMs = (end! - start) * 1000n;
    const offBy = windowMs > duration ? windowMs - duration : duration - windowMs;
    if (offBy > DURATION_TOLERANCE_MS) {
      warnings.push(
        warning(
          "battle-duration-window",
          "Duration",
          `Duration ${duration} ms is ${offBy} ms off EndTime - StartTime = ${end} - ${start} = ${end! - start} s (${windowMs} ms): with OpType 0 the battle's time ran out, so they must match within ${DURATION_TOLERANCE_MS} ms`,
        ),
      );
    }
  }
  // The latest of the battle's times (the last of equal ones).
  let latest = times[0]!;
  for (const time of times) if (time.value >= latest.value) latest = time;
  warnings.push(
    ...eventTimeNotBefore(
      "event-time-after-battle-times",
      eventTime,
      latest,
      ended ? "the battle ended" : "the battle started",
    ),
  );
  return warnings;
}

/** A warning of `check` at `/EventTime` when `eventTimeMs` is before the second `time`. */
function eventTimeNotBefore(check: string, eventTimeMs: bigint, time: Seconds, sentAfter: string): WebhookWarning[] {
  const timeMs = time.value * 1000n;
  if (eventTimeMs >= timeMs) return [];
  const field = time.field.replaceAll("/", ".");
  return [
    warning(
      check,
      "EventTime",
      `EventTime ${eventTimeMs} ms is before ${field} ${time.value} s (${timeMs} ms): the webhook is sent after ${sentAfter}, so EventTime must not be before ${field}`,
    ),
  ];
}
