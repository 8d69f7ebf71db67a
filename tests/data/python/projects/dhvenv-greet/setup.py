from setuptools import setup

setup(
    name="dhvenv-greet",
    version="1.0",
    packages=["dhvenv_greet"],
    install_requires=["hello-cli"],
    entry_points={"console_scripts": ["dhvenv-greet = dhvenv_greet:main"]},
)
