from carbonshare.cli import console

console()
