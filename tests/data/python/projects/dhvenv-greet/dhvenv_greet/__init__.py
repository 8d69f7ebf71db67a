"""Greets through hello-cli. A fixture for cleanroom's dh-virtualenv test."""
import hello_cli


def main():
    return hello_cli.main(["dh-virtualenv"])
