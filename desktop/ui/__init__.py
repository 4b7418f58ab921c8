"""The Qt desktop UI: widgets only. Everything slower than a frame goes through `operations`."""
