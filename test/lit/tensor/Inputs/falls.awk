# Checks a training log: lines "step N  loss L" and "accuracy A". Fails
# (exit 1, with a message) unless the first loss is above the last one and
# A >= min_accuracy.
/^step/ { if (first == "") first = $4; last = $4 }
/^accuracy/ { accuracy = $2 }
END {
  if (first == "" || accuracy == "") { print "no loss or accuracy lines"; exit 1 }
  if (!(first + 0 > last + 0)) { print "loss did not fall: " first " -> " last; exit 1 }
  if (accuracy + 0 < min_accuracy + 0) { print "accuracy " accuracy " < " min_accuracy; exit 1 }
  print "loss " first " -> " last ", accuracy " accuracy
}
