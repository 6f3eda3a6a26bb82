class User < ApplicationRecord
  has_many :orders

  def display_name
    binding.pry
    [first_name, last_name].compact.join(" ")
  end
end
