"""The website widget's HTTP side: the built `widget.js` bundle (from builder-ui/) and a demo
page that embeds it. The chat itself runs over /ws/v1/chat (chat.realtime)."""
