// The packets' types, generated from the schemas (./generated/types.ts), and the names built on
// them.
import type { RequestTypes, ResponseTypes } from "./generated/types.js";

export type * from "./generated/types.js";

/** A command word: `Live.CallbackAfterEndBattle`, `Live.CallbackBeforeSendGift`, ... */
export type CommandWord = keyof RequestTypes;

/**
 * Any request packet (webhook), told apart by its `CallbackCommand`:
 * `if (webhook.CallbackCommand === "Live.CallbackBeforeSendGift") webhook.GiftWater.Coins`.
 */
export type Webhook = RequestTypes[CommandWord];

/** The request packet of `C`. */
export type RequestOf<C extends CommandWord> = RequestTypes[C];

/** The response packet (the app's answer) to `C`. */
export type ResponseOf<C extends CommandWord> = ResponseTypes[C];
