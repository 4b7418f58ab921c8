"""Shared-folder sync: signed events travel between profiles through a folder. No Qt.

The team folder (OneDrive, Dropbox, an SMB share) holds one folder per user with immutable event
files; each profile writes only its own folder and reads everyone's. The SQLite database never goes
there. Whatever a cloud client or a person does to the folder (duplicates, partial files, deletions,
path tricks), a valid event is never lost and a bad file is never applied: it is quarantined locally
with the reason.
"""
