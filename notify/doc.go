// Package notify tells people when a board's headline answer changes:
// after a scrape has stored its snapshots, it compares each board's new
// snapshot with the one before it, as 'report' answers them, and writes
// one plain-text message for the whole run. It sends the message through
// shoutrrr (github.com/nicholas-fedor/shoutrrr), so one URL reaches
// Slack, Discord, Telegram, ntfy, e-mail or any webhook.
//
// # What triggers a message
//
// For a board whose run stored a new snapshot, each of these is a change
// (Detect):
//   - the leading open model is another model;
//   - the best open model not from a Chinese lab is another model;
//   - that model is the same, but its position among open models moved;
//   - the leading open model is the same but its origin class (Chinese,
//     not Chinese, unknown) changed (a relabelled row); a new leader of
//     another class says so on its own line ("the top flips").
//
// A board whose run found the content unchanged, or that has no earlier
// snapshot to compare with, says nothing. A board that failed says so
// once, in the run in which its streak of failed runs reaches FailAfter
// (store.DB.ConsecutiveFailures counts them, interrupted runs aside); the
// runs after it stay silent until the board has been stored again and
// fails anew. No change and no new streak: no message.
//
// # Delivery
//
// Sending happens after the snapshots are written, never inside the
// store's transaction, and is bounded by a timeout and by the caller's
// context (SIGINT). A failed delivery is reported per target and is not
// retried by a later run: the change it carried is not a change for the
// next run any more. Errors never quote a notification URL (it often
// holds a token): a target is named by its position and service.
package notify
