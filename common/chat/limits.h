// The chat protocol's limits, in one place: validators and the error texts that
// explain them both read these. See docs/PROTOCOL.md.
#pragma once

namespace Confab::Chat {

inline constexpr int MaxTextLength = 4000; // characters (code points)
inline constexpr int MaxTopicLength = 200;
inline constexpr int MaxClientIdLength = 128;
inline constexpr int MaxHistoryLimit = 200;
inline constexpr int DefaultHistoryLimit = 50;
inline constexpr int MinPasswordBytes = 8;
inline constexpr int MaxPasswordBytes = 1024;
inline constexpr int DefaultMaxPresenceQuery = 200;

// v2
inline constexpr int MaxMessageIdLength = 64;
inline constexpr int MaxEmojiBytes = 32;          // UTF-8
inline constexpr int MaxDistinctReactions = 20;   // per message
inline constexpr int MaxReactionUsersListed = 20; // per emoji, in a Message
inline constexpr int MaxMentions = 50;            // per message
inline constexpr int ReplyQuoteLength = 200;      // characters of the quoted text
inline constexpr int MaxUpdatesLimit = 200;
inline constexpr int DefaultUpdatesLimit = 100;
inline constexpr int MaxReadsAnswered = 500; // room:reads, the most recent readers
inline constexpr int MaxSearchLimit = 50;
inline constexpr int DefaultSearchLimit = 20;
inline constexpr int MaxSearchQueryLength = 200; // characters
inline constexpr int MaxAttachments = 10;        // per message
inline constexpr int MaxImageSide = 100000;      // an attachment's width or height, pixels
inline constexpr int MaxDirectoryLimit = 100;
inline constexpr int DefaultDirectoryLimit = 50;

inline constexpr char UsernamePattern[] = "^[a-z0-9_.-]{2,32}$";
inline constexpr char RoomNamePattern[] = "^[a-z0-9][a-z0-9_-]{0,63}$";

// The largest integer a JSON number carries exactly (JavaScript's Number.MAX_SAFE_INTEGER).
inline constexpr double MaxSafeInteger = 9007199254740991.0;

} // namespace Confab::Chat
