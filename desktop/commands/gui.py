"""Placeholder until the UI lands."""
def register(sub):
    p = sub.add_parser("gui", help="open the app")
    p.set_defaults(func=lambda a: 0)
