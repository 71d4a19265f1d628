// A webhook handler typed by the types openapi-typescript writes from dist/openapi.json
// (generated/openapi.ts): tsc --strict checks it, and each `@ts-expect-error` line must be a
// type error, so a description that types these packets loosely fails the test.
import type { webhooks } from "../generated/openapi.js";

/** A command word: the key of each webhook. */
export type CommandWord = keyof webhooks;
/** The request packet of a webhook. */
export type Packet<W extends CommandWord> =
  webhooks[W]["post"]["requestBody"]["content"]["application/json"];
/** The answer to a webhook, sent with HTTP 200. */
export type Answer<W extends CommandWord> =
  webhooks[W]["post"]["responses"][200]["content"]["application/json"];
/** The URL's query parameters of a webhook. */
export type Query<W extends CommandWord> = webhooks[W]["post"]["parameters"]["query"];

const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" } as const;

/** The gift webhook decides: numbers are numbers, so coins times count compiles. */
export function onGift(
  query: Query<"Live.CallbackBeforeSendGift">,
  gift: Packet<"Live.CallbackBeforeSendGift">,
): Answer<"Live.CallbackBeforeSendGift"> {
  if (query.SdkAppid !== "1400000000" || query.Sign === undefined) {
    return { ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: "not for this application" };
  }
  const total = gift.GiftWater.Coins * gift.GiftWater.Count;
  if (total > 100_000) {
    // A rejection whose code (102100 to 102200) is passed through.
    return { ActionStatus: "OK", ErrorCode: 102100, ErrorInfo: "gift too expensive" };
  }
  return ok;
}

/** The message webhook may rewrite the message. */
export function onMessage(
  message: Packet<"Group.CallbackBeforeSendMsg">,
): Answer<"Group.CallbackBeforeSendMsg"> {
  const text = message.MsgBody.map((element) => JSON.stringify(element.MsgContent)).join(" ");
  if (text.includes("forbidden")) {
    return { ActionStatus: "OK", ErrorCode: 2, ErrorInfo: "" };
  }
  return { ...ok, MsgBody: message.MsgBody };
}

/** Account ids are a string or a number: both forms must be handled. */
export function owners(battle: Packet<"Live.CallbackAfterEndBattle">): string[] {
  return [battle.FromRoomInfo, ...battle.ToRoomList].map((room) =>
    typeof room.Owner_Account === "string" ? room.Owner_Account : room.Owner_Account.toString(),
  );
}

/** Any request packet: a union discriminated by CallbackCommand. */
export type AnyPacket = { [W in CommandWord]: Packet<W> }[CommandWord];

/** Routes a packet to its handler; the switch narrows the packet's type. */
export function dispatch(
  query: Query<"Live.CallbackBeforeSendGift">,
  packet: AnyPacket,
): Answer<CommandWord> {
  switch (packet.CallbackCommand) {
    case "Live.CallbackBeforeSendGift":
      return onGift(query, packet);
    case "Group.CallbackBeforeSendMsg":
      return onMessage(packet);
    case "Live.CallbackAfterEndBattle":
      console.log("battle", packet.BattleId, "owners", owners(packet).join(", "));
      return ok;
    default:
      return ok;
  }
}

/** One handler per webhook, every command word covered. */
export const handlers: { [W in CommandWord]: (packet: Packet<W>) => Answer<W> } = {
  "Live.CallbackAfterCreateRoom": () => ok,
  "Live.CallbackAfterDestroyRoom": () => ok,
  "Live.CallbackAfterUpdateRoomInfo": () => ok,
  "Live.CallbackAfterSetMetadata": () => ok,
  "Live.CallbackAfterDelMetadata": () => ok,
  "Live.CallbackAfterCreateRoomReachingThreshold": () => ok,
  "Live.CallbackAfterMemberStateChanged": () => ok,
  "Live.CallbackAfterChangeOwner": () => ok,
  "Live.CallbackAfterModifyAdmin": () => ok,
  "Mic.CallbackAfterSeatInfoChanged": () => ok,
  "Live.CallbackAfterCreateBattle": () => ok,
  "Live.CallbackAfterStartBattle": () => ok,
  "Live.CallbackAfterEndBattle": () => ok,
  "Live.CallbackBeforeSendGift": (gift) =>
    onGift({ SdkAppid: "1400000000", CallbackCommand: "Live.CallbackBeforeSendGift" }, gift),
  "Group.CallbackAfterSendMsg": () => ok,
  "Group.CallbackBeforeSendMsg": onMessage,
  "Follow.CallbackAfterFollowAdd": () => ok,
  "Follow.CallbackAfterFollowDelete": () => ok,
};

// What the types refuse.
export function refused(gift: Packet<"Live.CallbackBeforeSendGift">): void {
  // @ts-expect-error: GiftWater is required.
  const missing: Packet<"Live.CallbackBeforeSendGift"> = { CallbackCommand: "Live.CallbackBeforeSendGift", Operator_Account: "a", RoomId: "r" };
  // @ts-expect-error: ActionStatus is OK or FAIL.
  const status: Answer<"Live.CallbackBeforeSendGift"> = { ActionStatus: "MAYBE", ErrorCode: 0, ErrorInfo: "" };
  // @ts-expect-error: the gift's packet is not the battle's.
  const wrong: Packet<"Live.CallbackAfterEndBattle"> = gift;
  // @ts-expect-error: a command word that does not exist.
  const unknown: Packet<"Live.CallbackAfterEndBattel"> = gift;
  // @ts-expect-error: the query's CallbackCommand is the webhook's own word.
  const query: Query<"Live.CallbackBeforeSendGift"> = { SdkAppid: "1", CallbackCommand: "Live.CallbackAfterEndBattle" };
  console.log(missing, status, wrong, unknown, query);
}
