"""llama-cpp-python behind the council: model files, seats, chat formats and the decode loop (no Qt)."""
