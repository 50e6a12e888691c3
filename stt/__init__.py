"""Speech to text: engines that turn 16 kHz mono PCM into a transcript, and their evaluation."""
