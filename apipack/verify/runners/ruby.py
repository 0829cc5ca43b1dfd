"""ruby_native snippets: evaluated one after the other in one ``ruby`` process."""

from __future__ import annotations

from apipack.verify.runners.base import Runner

DRIVER = r'''
require 'stringio'
ARGV.each do |path|
  cid = File.basename(path, ".rb")
  $stderr.puts "@@START #{cid}"
  $stderr.flush
  begin
    $stdout = StringIO.new
    Object.new.instance_eval(File.read(path), path)
    $stdout = STDOUT
    $stderr.puts "@@END #{cid} ok"
  rescue Exception => e
    $stdout = STDOUT
    $stderr.puts "@@END #{cid} error #{e.class}: #{e.message.to_s.gsub("\n", " ")[0, 200]}"
  end
  $stderr.flush
end
'''


class RubyRunner(Runner):
    target = "ruby"
    tools = ("ruby",)
    install_hint = "Debian package ruby"
    extension = ".rb"
    interpreter = ("ruby",)
    driver_file = "_driver.rb"
    driver = DRIVER
