"""Mail: composing, signing and sending messages; reply tokens; bounces."""
